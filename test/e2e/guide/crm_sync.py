# The guide's "CRM Synchronization Script", unchanged but for its endpoints (given as arguments)
# and its schedule (one sync instead of one every 15 minutes).
# Usage: python crm_sync.py <insights URL> <CRM base URL>
import sys

import requests
import json
from datetime import datetime, timedelta

# ApudFlow customer insights endpoint
insights_endpoint = sys.argv[1]

# CRM API configuration
CRM_BASE_URL = sys.argv[2]
CRM_API_KEY = "your_crm_api_key"

def sync_customer_insights():
    """Sync customer insights from ApudFlow to CRM system"""

    # Fetch latest insights
    response = requests.get(insights_endpoint)
    if response.status_code != 200:
        print(f"Failed to fetch insights: {response.status_code}")
        return

    insights_data = response.json()['data']

    # Update CRM with insights
    crm_payload = {
        "customer_id": insights_data['customer_id'],
        "custom_fields": {
            "engagement_score": insights_data['insights']['engagement_score'],
            "risk_profile": insights_data['insights']['risk_profile'],
            "preferred_products": json.dumps(insights_data['insights']['preferred_products']),
            "next_best_action": insights_data['insights']['next_best_action']
        },
        "notes": f"AI Insights updated at {datetime.now().isoformat()}"
    }

    crm_response = requests.put(
        f"{CRM_BASE_URL}/customers/{insights_data['customer_id']}",
        json=crm_payload,
        headers={"Authorization": f"Bearer {CRM_API_KEY}"}
    )

    if crm_response.status_code == 200:
        print(f"Successfully updated customer {insights_data['customer_id']} in CRM")

        # Log recommendations for sales team
        for rec in insights_data['recommendations']:
            log_recommendation(insights_data['customer_id'], rec)
    else:
        print(f"Failed to update CRM: {crm_response.status_code} - {crm_response.text}")

def log_recommendation(customer_id, recommendation):
    """Log product recommendations for sales follow-up"""

    log_payload = {
        "customer_id": customer_id,
        "recommendation_type": recommendation['type'],
        "product": recommendation['product'],
        "confidence": recommendation['confidence'],
        "reason": recommendation['reason'],
        "created_at": datetime.now().isoformat(),
        "status": "pending_review"
    }

    # Log to CRM or separate recommendations system
    requests.post(
        f"{CRM_BASE_URL}/recommendations",
        json=log_payload,
        headers={"Authorization": f"Bearer {CRM_API_KEY}"}
    )

# Initial sync
sync_customer_insights()
