"""Schemathesis checks of our own: every error answer is application/problem+json."""
import schemathesis


@schemathesis.check
def errors_are_problem_json(ctx, response, case):
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])
        value = content_type[0] if isinstance(content_type, list) else content_type
        if not value.startswith("application/problem+json"):
            raise AssertionError(
                f"{response.status_code} answered as {value or 'no content type'}, not application/problem+json"
            )
