"""The session's pipeline fixture lives in tests/conftest.py (shared by the stage tests)."""
