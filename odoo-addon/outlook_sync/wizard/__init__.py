from . import reset_account
