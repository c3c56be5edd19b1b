from . import outlook_sync_sidecar
from . import res_config_settings
from . import res_users
from . import pending_change
from . import calendar_notify
from . import ir_http
