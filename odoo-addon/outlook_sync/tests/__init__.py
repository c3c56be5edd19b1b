from . import test_settings
from . import test_sidecar
from . import test_route
from . import test_notify
