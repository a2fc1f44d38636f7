"""The release of this package (emulators.__version__ hands it on); the kernel keys its contract cache by it."""

__version__ = "0.2.0"
