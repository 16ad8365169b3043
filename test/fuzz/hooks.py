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


@schemathesis.hook
def map_query(ctx, query):
    """A valid minVersion holds the request until the read model reaches it (3 s
    at most for an order that never does): that waiting is what read-your-writes
    tests cover. Only malformed values are fuzzed here, which answer at once."""
    if query and isinstance(query.get("minVersion"), int) and 1 <= query["minVersion"] <= 1_000_000_000:
        query = {key: value for key, value in query.items() if key != "minVersion"}
    return query
