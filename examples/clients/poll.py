"""Polls an External Data Provider: reads the whole dataset page by page, then asks again
with the first page's ETag, so an unchanged dataset costs one bodiless 304 per poll.

    python3 poll.py [url] [--limit 100] [--every 60] [--times N]
    DATA_PROVIDER_TOKEN=<token> python3 poll.py ...   (Authentication: Bearer Token)

Needs `requests` (pip install requests, or Debian's python3-requests).
"""
import argparse
import json
import os
import sys
import time

import requests

parser = argparse.ArgumentParser()
parser.add_argument("url", nargs="?", default="http://localhost:5678/webhook/alerts")
parser.add_argument("--limit", type=int, default=100, help="items per page (<= Max Page Size)")
parser.add_argument("--every", type=float, default=60, help="seconds between polls")
parser.add_argument("--times", type=float, default=float("inf"), help="number of polls")
args = parser.parse_args()

session = requests.Session()  # reuses the connection between pages and polls
if os.environ.get("DATA_PROVIDER_TOKEN"):
    session.headers["Authorization"] = f"Bearer {os.environ['DATA_PROVIDER_TOKEN']}"


def get_page(offset, headers=None):
    params = {"limit": args.limit, "offset": offset}
    response = session.get(args.url, params=params, headers=headers, timeout=30)
    if response.status_code == 304:
        return None
    response.raise_for_status()
    return {"etag": response.headers.get("ETag"), **response.json()}


def show(value):
    print(json.dumps(value, separators=(",", ":"), ensure_ascii=False))  # as JSON.stringify


def poll(etag):
    """Prints the dataset, or that it is unchanged since `etag`; returns the ETag to send next."""
    first = get_page(0, {"If-None-Match": etag} if etag else None)
    if first is None:
        print("unchanged (304)")
        return etag
    meta = first["meta"]
    print(f"version {meta['version']}, total {meta['total']}, "
          f"last updated {meta['last_updated'] or 'never'}")
    # Publish Mode "Single Object" serves one object, not a list: there are no pages to read.
    if not isinstance(first["data"], list):
        show(first["data"])
        return first["etag"]
    items = list(first["data"])
    page = first
    while page["data"]:
        page = get_page(len(items))
        # Data published while we were paging: the pages no longer fit together, so start over.
        if page["meta"]["version"] != meta["version"]:
            return poll(None)
        items.extend(page["data"])
    for item in items:
        show(item)
    return first["etag"]


etag = None  # of the first page; it changes whenever the dataset does
failed = False
polls = 0
while polls < args.times:
    if polls > 0:
        time.sleep(args.every)
    try:
        etag = poll(etag)
    except requests.RequestException as error:
        # Keep polling (n8n may be restarting); the exit code still says that a poll failed.
        print(error, file=sys.stderr)
        failed = True
    polls += 1
sys.exit(1 if failed else 0)
