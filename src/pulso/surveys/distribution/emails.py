"""Invitation emails: HTML + plain text, in the customer's language, with the company's brand."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from pulso.surveys.distribution.content import invitation_context, render_in_language
from pulso.surveys.models import Invitation


def build_invitation_email(
    invitation: Invitation, reminder: bool = False
) -> EmailMultiAlternatives:
    context = invitation_context(invitation, reminder)
    subject = render_in_language("surveys/email/invitation_subject.txt", context)
    text = render_in_language("surveys/email/invitation.txt", context)
    html = render_in_language("surveys/email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.customer.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "X-Pulso-Invitation": str(invitation.pk),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send_invitation_email(invitation: Invitation, reminder: bool = False) -> None:
    """Send it; SMTP problems raise (the caller records the failure)."""
    build_invitation_email(invitation, reminder).send(fail_silently=False)
