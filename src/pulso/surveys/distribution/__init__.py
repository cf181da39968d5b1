"""Survey distribution: invitations by email and SMS, contact rules, reminders, response rates.

Not a Django app: its models live in ``pulso.surveys`` (Invitation) and ``pulso.customers``.
"""
