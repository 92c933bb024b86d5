from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from members.forms import ProfileForm
from members.services import ensure_member


@login_required
def profile(request):
    member = ensure_member(request.user)
    form = ProfileForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        form.save_profile(member)
        messages.success(request, _("Your profile has been saved."))
        return redirect("members:profile")
    return render(request, "members/profile.html", {"form": form, "member": member})
