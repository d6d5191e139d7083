"""``manage.py create_pokja_admin``: the first accounts of a new installation, like ``createsuperuser``.

Two roles:

- ``admin`` (programme admin): sees every kabupaten and may use ``/admin/`` to set up OPDs,
  deadline policies and the other users (superuser).
- ``pokja`` (Pokja chair / kabupaten secretariat): bound to one kabupaten, found by name. On a
  bare server that kabupaten does not exist yet; ``--create-kabupaten --province ... --timezone ...``
  creates it. No ``/admin/`` access: the admin site is not scoped to one kabupaten.

It refuses (exit code 1, nothing changed) when the username exists, so running it twice is safe.
The password comes from ``--password-file`` (first line), else ``$POKJA_ADMIN_PASSWORD``, else a
prompt; it is checked against the password validators.
"""
from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from casework.models.regions import TIMEZONE_CHOICES, Kabupaten, Province

PASSWORD_ENV = "POKJA_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = "Buat akun admin program atau Pokja kabupaten yang pertama. Menolak bila nama pengguna sudah ada."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", choices=[Role.POKJA.value, Role.ADMIN.value], default=Role.POKJA.value)
        parser.add_argument("--kabupaten", default="", help="Nama kabupaten (wajib untuk peran pokja).")
        parser.add_argument("--create-kabupaten", action="store_true",
                            help="Buat kabupaten itu bila belum ada (butuh --province dan --timezone).")
        parser.add_argument("--province", default="", help="Nama provinsi, untuk --create-kabupaten.")
        parser.add_argument("--timezone", choices=[tz for tz, _label in TIMEZONE_CHOICES], default="",
                            help="Zona waktu kabupaten baru, untuk --create-kabupaten.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--password-file", default="", help="Berkas berisi kata sandi (baris pertama).")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive",
                            help="Jangan bertanya; kata sandi harus dari --password-file atau lingkungan.")

    def handle(self, *args, **opts):
        User = get_user_model()
        username = opts["username"].strip()
        if User.objects.filter(username=username).exists():
            raise CommandError(_("Pengguna %(username)s sudah ada; tidak ada yang diubah.") % {"username": username})
        role = opts["role"]
        if role == Role.ADMIN and opts["kabupaten"]:
            raise CommandError(_("Admin program tidak terikat pada satu kabupaten; hilangkan --kabupaten."))
        if role == Role.POKJA and not opts["kabupaten"]:
            raise CommandError(_("Peran pokja membutuhkan --kabupaten."))

        password = self._password(opts)
        with transaction.atomic():
            kabupaten = self._kabupaten(opts) if role == Role.POKJA else None
            user = User(
                username=username, email=opts["email"], first_name=opts["first_name"],
                last_name=opts["last_name"], role=role, kabupaten=kabupaten,
                is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
            )
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError(_("Kata sandi ditolak: %(reasons)s") % {"reasons": " ".join(exc.messages)}) from exc
            user.set_password(password)
            try:
                user.full_clean()
                user.save()
            except ValidationError as exc:
                raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
            except IntegrityError as exc:  # created by someone else between the check and the insert
                raise CommandError(_("Pengguna %(username)s sudah ada; tidak ada yang diubah.")
                                   % {"username": username}) from exc
        scope = kabupaten.name if kabupaten else _("seluruh program")
        self.stdout.write(self.style.SUCCESS(
            _("Akun %(username)s (%(role)s, %(scope)s) dibuat.") % {"username": username, "role": role, "scope": scope}
        ))

    def _password(self, opts) -> str:
        if opts["password_file"]:
            try:
                lines = Path(opts["password_file"]).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise CommandError(_("Berkas kata sandi tidak dapat dibaca: %(error)s") % {"error": exc}) from exc
            password = lines[0] if lines else ""
        elif os.environ.get(PASSWORD_ENV):
            password = os.environ[PASSWORD_ENV]
        elif opts["interactive"] and sys.stdin.isatty():
            password = getpass.getpass(_("Kata sandi: "))
            if getpass.getpass(_("Kata sandi (ulangi): ")) != password:
                raise CommandError(_("Kedua kata sandi tidak sama."))
        else:
            raise CommandError(_("Tidak ada kata sandi: pakai --password-file, $%(env)s, atau jalankan secara "
                                 "interaktif.") % {"env": PASSWORD_ENV})
        if not password:
            raise CommandError(_("Kata sandi kosong."))
        return password

    def _kabupaten(self, opts) -> Kabupaten:
        name = opts["kabupaten"].strip()
        found = list(Kabupaten.objects.select_related("province").filter(name__iexact=name))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            choices = ", ".join(f"{k.name} ({k.province.name})" for k in found)
            raise CommandError(_("Nama kabupaten %(name)s tidak unik: %(choices)s.") % {"name": name, "choices": choices})
        if not opts["create_kabupaten"]:
            known = ", ".join(Kabupaten.objects.values_list("name", flat=True)[:20]) or _("belum ada")
            raise CommandError(_("Kabupaten %(name)s tidak ditemukan (yang ada: %(known)s). Tambahkan "
                                 "--create-kabupaten --province ... --timezone ... untuk membuatnya.")
                               % {"name": name, "known": known})
        if not opts["province"] or not opts["timezone"]:
            raise CommandError(_("--create-kabupaten membutuhkan --province dan --timezone."))
        province, _created = Province.objects.get_or_create(name=opts["province"].strip())
        kabupaten = Kabupaten(province=province, name=name, timezone=opts["timezone"])
        kabupaten.full_clean()
        kabupaten.save()
        return kabupaten
