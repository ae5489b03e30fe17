# expect-exit: 70
# expect-stderr: ModuleNotFoundError: No module named 'nosuchmodule'
import nosuchmodule
