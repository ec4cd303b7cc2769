# The guide's client patterns, each function unchanged; the calls at the bottom replace the
# guide's usage lines (loops that run forever) with one pass each and print what they got.
# Usage: python patterns.py <list URL> <object URL> <token-protected URL> <token>
import hashlib
import json
import sys
import time

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


def get_data_if_changed(endpoint_url, last_update=None):
    """Only fetch data if it has been updated since last check"""

    headers = {}
    if last_update:
        headers['If-Modified-Since'] = last_update

    response = requests.get(endpoint_url, headers=headers)

    if response.status_code == 304: # Not Modified
        return None # No changes

    data = response.json()
    return {
        'data': data,
        'last_modified': response.headers.get('Last-Modified')
    }


def process_batch_updates(endpoint_url, batch_size=100):
    """Process large datasets in batches"""

    offset = 0
    while True:
        # Add pagination parameters
        params = {'limit': batch_size, 'offset': offset}
        response = requests.get(endpoint_url, params=params)

        data = response.json()['data']

        if not data: # No more data
            break

        # Process batch
        for item in data:
            process_item(item)

        offset += batch_size

        # Rate limiting
        time.sleep(1)


class DataCache:
    def __init__(self, ttl_seconds=300): # 5 minute cache
        self.cache = {}
        self.ttl = ttl_seconds

    def get(self, endpoint_url):
        cache_key = hashlib.md5(endpoint_url.encode()).hexdigest()

        if cache_key in self.cache:
            cached_data, timestamp = self.cache[cache_key]
            if time.time() - timestamp < self.ttl:
                return cached_data

        # Fetch fresh data
        response = requests.get(endpoint_url)
        data = response.json()

        # Cache it
        self.cache[cache_key] = (data, time.time())
        return data


def create_resilient_session():
    """Create HTTP session with retries and connection pooling"""

    session = requests.Session()

    retry_strategy = Retry(
        total=3,
        backoff_factor=1,
        status_forcelist=[429, 500, 502, 503, 504]
    )

    adapter = HTTPAdapter(
        max_retries=retry_strategy,
        pool_connections=10,
        pool_maxsize=10
    )

    session.mount("https://", adapter)
    session.mount("http://", adapter)

    return session


def authenticated_request(endpoint_url, api_key):
    """Make authenticated requests to protected endpoints"""

    headers = {
        'Authorization': f'Bearer {api_key}',
        'User-Agent': 'ApudFlow-Integration/1.0'
    }

    response = requests.get(endpoint_url, headers=headers)
    response.raise_for_status()

    return response.json()


def robust_data_fetch(endpoint_url, max_retries=5):
    """Fetch data with comprehensive error handling"""

    for attempt in range(max_retries):
        try:
            response = requests.get(endpoint_url, timeout=30)
            response.raise_for_status()

            data = response.json()

            # Validate data structure
            if 'data' not in data:
                raise ValueError("Invalid response format")

            return data

        except requests.Timeout:
            print(f"Timeout on attempt {attempt + 1}")
        except requests.HTTPError as e:
            if e.response.status_code >= 500:
                # Server error, retry
                print(f"Server error {e.response.status_code} on attempt {attempt + 1}")
            else:
                # Client error, don't retry
                raise
        except Exception as e:
            print(f"Unexpected error on attempt {attempt + 1}: {e}")

        if attempt < max_retries - 1:
            time.sleep(2 ** attempt) # Exponential backoff

    raise Exception(f"Failed to fetch data after {max_retries} attempts")


processed_items = []


def process_item(item):
    processed_items.append(item)


list_url, object_url, protected_url, token = sys.argv[1:5]


def report(name, value):
    print(f"{name}: {json.dumps(value, sort_keys=True)}")


first = get_data_if_changed(object_url)
again = get_data_if_changed(object_url, first['last_modified'])
report('get_data_if_changed', {'first': sorted(first['data']), 'again': again})

process_batch_updates(list_url, batch_size=10)
report('process_batch_updates', {'items': len(processed_items)})

cache = DataCache()
cached = cache.get(object_url)
report('DataCache', {'same object twice': cache.get(object_url) is cached})

session = create_resilient_session()
response = session.get(list_url)
report('create_resilient_session', {'status': response.status_code, 'total': response.json()['meta']['total']})

secure_data = authenticated_request(protected_url, token)
report('authenticated_request', {'keys': sorted(secure_data['data'])})

data = robust_data_fetch(object_url)
report('robust_data_fetch', {'keys': sorted(data)})
