"""Facts about accounts that apps above account act on (account cannot call them: layers point down)."""

from django.dispatch import Signal

# Sent with ``user`` once its e-mail is proven (a confirmation or reset link was opened).
email_proven = Signal()
