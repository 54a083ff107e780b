"""The browser tests' shared setting: how long an expectation waits for the page."""

from playwright.sync_api import expect

# Swagger UI and ReDoc render from JavaScript: on a machine running two test workers beside servers, five
# seconds (Playwright's default) is not always enough for a first paint. A failure still fails, only later.
expect.set_options(timeout=20_000)
