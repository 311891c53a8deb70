"""Response time of over-limit requests the GraphQL view refuses (issue 9).

Through the whole stack (Django test client → plugin route → guards → limits), on the
stand-in host. Each refused request must be cheap: it is answered before anything is
executed. Prints median and p95 per probe, the status, the code and the answer's size;
the staff introspection query (accepted) is the yardstick.
"""

import json
import time

from _setup import percentiles, setup_django

RUNS = 30


def probes():
    aliases = "{ " + " ".join(f"a{i}: __schema {{ types {{ name fields {{ name }} }} }}" for i in range(625)) + " }"
    deep = "query { " + "amazonStores(first: 1) { edges { node { " * 333 + "name" + " } } }" * 333 + " }"
    fragments = ["fragment F0 on AmazonMarketplace { id countryCode }"] + [
        f"fragment F{i} on AmazonMarketplace {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 30)
    ]
    bomb = "{ amazonMarketplaces { ...F29 } } " + " ".join(fragments)
    checks = "mutation { " + " ".join(
        f'c{i}: amazonStoreCheckConnection(id: "QW1hem9uU3RvcmU6MQ==") {{ errors {{ code }} }}' for i in range(20)
    ) + " }"
    wide = "{ amazonMarketplaces { " + " ".join(["id"] * 8000) + " } }"
    return [
        ("anonymous, 625 aliased __schema", False, json.dumps({"query": aliases})),
        ("staff, selections nested 1,000 deep", True, json.dumps({"query": deep})),
        ("staff, fragment bomb (2^29 fields)", True, json.dumps({"query": bomb})),
        ("staff, 20 aliased amazonStoreCheckConnection", True, json.dumps({"query": checks})),
        ("staff, 8,000 selections (48 kB query)", True, json.dumps({"query": wide})),
        ("anonymous, JSON body nested 100,000 deep", False, '{"query": "{ __typename }", "variables": '
         + "[" * 100_000 + "]" * 100_000 + "}"),
    ]


INTROSPECTION = """{ __schema { types { kind name fields(includeDeprecated: true) {
 name args { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
 type { kind name ofType { kind name ofType { kind name
 ofType { kind name } } } } } inputFields { name type { kind name ofType { kind name ofType { kind name } } } }
 enumValues { name } } } }"""


def main():
    setup_django()
    from django.test import Client

    from saleor_amazon_channel import PLUGIN_ID
    from saleor_amazon_channel.core.urls import plugin_url
    from tests.standin.account.models import User
    from tests.standin.plugins.models import PluginConfiguration
    from tests.standin.tokens import create_access_token

    PluginConfiguration.objects.update_or_create(identifier=PLUGIN_ID, defaults={"name": "Amazon", "active": True})
    user, _ = User.objects.get_or_create(email="bench@example.com", defaults={"permissions": ["MANAGE_CHANNELS"]})
    staff = {"HTTP_AUTHORIZATION": "Bearer " + create_access_token(user)}
    client = Client()
    path = plugin_url("graphql/")

    def measure(body, headers):
        for _ in range(2):  # warm-up
            client.post(path, body, content_type="application/json", **headers)
        samples = []
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.post(path, body, content_type="application/json", **headers)
            samples.append((time.perf_counter() - start) * 1000)
        return response, percentiles(samples)

    print(f"Refused over-limit GraphQL requests, {RUNS} runs each, stand-in host")
    print(f"{'probe':<46} {'median ms':>9} {'p95 ms':>8} {'status':>6} {'bytes':>6}  code")
    for label, as_staff, body in probes():
        response, (median, p95) = measure(body, staff if as_staff else {})
        code = response.json()["errors"][0]["extensions"]["exception"]["code"]
        assert response.status_code == 400, (label, response.status_code, response.content[:200])
        print(f"{label:<46} {median:>9.1f} {p95:>8.1f} {response.status_code:>6} {len(response.content):>6}  {code}")
    response, (median, p95) = measure(json.dumps({"query": INTROSPECTION}), staff)
    assert response.status_code == 200 and "errors" not in response.json(), response.content[:300]
    print(f"{'(accepted) staff introspection query':<46} {median:>9.1f} {p95:>8.1f} {response.status_code:>6} "
          f"{len(response.content):>6}")


if __name__ == "__main__":
    main()
