"""The staff page where a user chooses the regions and organisations whose reminders they
receive (``manage.py send_reminders``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from regions.models import Organisation, Region

from .filters import SafeModelChoiceField
from .models import ReminderSubscription


class SubscriptionForm(forms.Form):
    region = SafeModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("Choose a region"),
        help_text=gettext_lazy("A province includes its regencies and cities."),
    )
    organisation = SafeModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Choose an organisation"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        region, organisation = data.get("region"), data.get("organisation")
        if bool(region) == bool(organisation):
            raise forms.ValidationError(_("Choose a region or an organisation, not both."))
        subscription = ReminderSubscription(
            user=self.user, region=region, organisation=organisation
        )
        subscription.validate_constraints()
        self.subscription = subscription
        return data


class ReminderSettingsView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    template_name = "cooperation/reminder_settings.html"
    raise_exception = False

    def test_func(self):
        return self.request.user.is_staff

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(
            form=form or SubscriptionForm(user=self.request.user),
            subscriptions=self.request.user.reminder_subscriptions.select_related(
                "region", "organisation"
            ),
            **kwargs,
        )

    def post(self, request):
        if "remove" in request.POST:
            remove = request.POST["remove"]
            pk = int(remove) if remove.isdigit() and len(remove) < 19 else 0
            subscription = get_object_or_404(request.user.reminder_subscriptions, pk=pk)
            subscription.delete()
            messages.success(request, _("You no longer receive these reminders."))
            return redirect("cooperation:reminder_settings")
        form = SubscriptionForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        form.subscription.save()
        messages.success(request, _("You will receive these reminders."))
        return redirect("cooperation:reminder_settings")
