"""tests/sources/openalex/ and tests/sources/openreview/ share the local fake server
(local_fake_server.py): pytest puts the folder of a conftest.py on sys.path, so their fake APIs import
it by module name."""
