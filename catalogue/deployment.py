"""One deployment's name, from the site's address and its database: what it keeps
beside other deployments (cache keys and files, built files) is named by it, so that
production and staging on one machine or one Redis never read or remove each other's."""

import re
from hashlib import sha256


def deployment_name(site: str, database: dict) -> str:
    host, port = database.get("HOST", ""), database.get("PORT", "")
    where = f"{site} {host}:{port}/{database['NAME']}"
    readable = re.sub(r"[^a-z0-9.-]", "_", site.split("://", 1)[-1])
    return f"{readable}-{sha256(where.encode()).hexdigest()[:12]}"
