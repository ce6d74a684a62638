"""newsclean's test suite (a package, so that ``tests.helpers`` imports under bare ``pytest``)."""
