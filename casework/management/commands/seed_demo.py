"""Load the demo slice of the programme. Safe to run again: nothing is duplicated."""
from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework.demo import data
from casework.models import (
    Activity,
    Case,
    Desa,
    FundingSource,
    IntermediateGoal,
    Kabupaten,
    Kecamatan,
    MainGoal,
    Meeting,
    Plan,
    Province,
)
from escalation.models import OPD, DeadlinePolicy, Holiday


class Command(BaseCommand):
    help = "Muat data demo (Seram Bagian Timur dan Sumba Barat Daya) beserta satu login per peran. Idempoten."

    def add_arguments(self, parser):
        parser.add_argument("--no-cases", action="store_true", help="Hanya wilayah, OPD, pengguna dan rencana.")
        parser.add_argument("--quiet", action="store_true", help="Jangan cetak daftar login.")

    def handle(self, *args, **options):
        with transaction.atomic():
            regions = self._regions()
            opds = self._opds(regions)
            self._holidays()
            users = self._users(regions, opds)
            self._plans(regions)
            if not options["no_cases"]:
                from casework.demo.scenario import build_scenario

                build_scenario(regions=regions, opds=opds, users=users)
        if not options["quiet"]:
            self._print_logins()

    # --- regions ----------------------------------------------------------------------------
    def _regions(self) -> dict:
        provinces = {name: Province.objects.get_or_create(name=name, defaults={"code": code})[0]
                     for name, code in data.PROVINCES.items()}
        result = {"kabupaten": {}, "kecamatan": {}, "desa": {}}
        for name, province, code, tz in data.KABUPATEN:
            kab, _ = Kabupaten.objects.get_or_create(province=provinces[province], name=name,
                                                     defaults={"code": code, "timezone": tz})
            DeadlinePolicy.objects.get_or_create(kabupaten=kab)
            result["kabupaten"][name] = kab
            for kec_name, desa_names in data.KECAMATAN[name].items():
                kec, _ = Kecamatan.objects.get_or_create(kabupaten=kab, name=kec_name)
                result["kecamatan"][(name, kec_name)] = kec
                for desa_name in desa_names:
                    desa, _ = Desa.objects.get_or_create(kecamatan=kec, name=desa_name)
                    result["desa"][(kec_name, desa_name)] = desa
        return result

    def _opds(self, regions) -> dict:
        result = {}
        for kab_name, kab in regions["kabupaten"].items():
            for short, full, sector in data.OPDS:
                opd, _ = OPD.objects.get_or_create(kabupaten=kab, short_name=short,
                                                   defaults={"name": full, "sector": sector})
                result[(kab_name, short)] = opd
        return result

    def _holidays(self) -> None:
        """National holidays of Indonesia for this year and the next, from the `holidays` library."""
        import holidays as holidays_lib

        year = timezone.now().year
        for day, name in holidays_lib.country_holidays("ID", years=[year - 1, year, year + 1], language="id").items():
            Holiday.objects.get_or_create(date=day, kabupaten=None, defaults={"name": name[:200]})

    def _users(self, regions, opds) -> dict:
        result = {}
        for username, full_name, role, kind, value in data.USERS:
            first, _, last = full_name.partition(" ")
            defaults = {"role": role, "first_name": first, "last_name": last,
                        "email": f"{username}@demo.tindaklanjut.local"}
            if kind == "kabupaten":
                defaults["kabupaten"] = regions["kabupaten"][value]
            elif kind == "kecamatan":
                defaults["kecamatan"] = regions["kecamatan"][value]
            elif kind == "opd":
                defaults["opd"] = opds[value]
            user, created = User.objects.get_or_create(username=username, defaults=defaults)
            if created:
                user.set_password(data.DEMO_PASSWORD)
                if role == "admin":
                    user.is_staff = user.is_superuser = True
                user.save()
            result[username] = user
        return result

    def _plans(self, regions) -> None:
        funding = {name: FundingSource.objects.get_or_create(name=name)[0] for name in data.FUNDING}
        for (kec_name, desa_name), desa in regions["desa"].items():
            if Plan.objects.filter(desa=desa).exists():
                continue
            matrix = data.DESA_X_PLAN if desa_name == "X" else data.GENERIC_PLAN
            plan = Plan.objects.create(desa=desa, period="2024", version=1,
                                       note="Contoh dari panduan (Matriks 1)" if desa_name == "X" else "")
            build_plan(plan, matrix, funding)

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS("Data demo siap. Login (kata sandi semua: %s):" % data.DEMO_PASSWORD))
        for username, full_name, role, _kind, _value in data.USERS:
            self.stdout.write(f"  {username:<20} {full_name}")


def build_plan(plan: Plan, matrix: list[dict], funding: dict[str, FundingSource]) -> None:
    for g_pos, goal in enumerate(matrix, start=1):
        mg = MainGoal.objects.create(plan=plan, position=g_pos, statement=goal["statement"], target=goal["target"],
                                     target_year=goal.get("target_year"))
        igs = [IntermediateGoal.objects.create(main_goal=mg, position=i, statement=s, target_value=t)
               for i, (s, t) in enumerate(goal["intermediate"], start=1)]
        for a_pos, (name, desc, sources) in enumerate(goal["activities"], start=1):
            act = Activity.objects.create(main_goal=mg, intermediate_goal=igs[0] if igs else None, position=a_pos,
                                          name=name, description=desc, funding_note=", ".join(sources) or "-")
            act.funding_sources.set([funding.setdefault(s, FundingSource.objects.get_or_create(name=s)[0])
                                     for s in sources])


__all__ = ["Command", "build_plan", "Case", "Meeting", "date", "timedelta"]
