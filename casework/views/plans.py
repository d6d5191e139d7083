from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from casework import selectors
from casework.scoping import get_in_scope_or_404, plans_for


@login_required
def plan_list(request):
    qs = plans_for(request.user).order_by("desa__kecamatan__name", "desa__name", "-period", "-version")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(desa__name__icontains=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "casework/plan_list.html", {"page": page, "q": q})


@login_required
def plan_detail(request, pk: int):
    plan = selectors.plan_with_matrix(request.user, pk)
    versions = plans_for(request.user).filter(desa_id=plan.desa_id).order_by("-period", "-version")
    return render(request, "casework/plan_detail.html", {"plan": plan, "versions": versions})
