from . import test_settings
from . import test_sidecar
from . import test_route
from . import test_notify
from . import test_real_sidecar
from . import test_button
from . import test_reset_wizard
from . import test_signin_browser
