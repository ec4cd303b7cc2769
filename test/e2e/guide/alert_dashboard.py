# The guide's "Real-Time Alert Dashboard" callback, unchanged but for Dash: its components are
# printed instead of rendered. Usage: python alert_dashboard.py <alerts URL>
import sys

import requests

# ApudFlow alerts endpoint
alerts_endpoint = sys.argv[1]


def update_alerts(n):
    try:
        response = requests.get(alerts_endpoint, timeout=5)
        alerts_data = response.json()['data']

        # Create alert display
        alert_items = []
        for alert in alerts_data['alerts'][-10:]: # Show last 10 alerts
            severity_color = {'HIGH': 'red', 'MEDIUM': 'orange', 'LOW': 'yellow'}
            alert_items.append(
                f"{alert['timestamp']} - {alert['symbol']}: "
                f"{alert['message']} [{severity_color.get(alert['severity'], 'black')}]"
            )

        # Create alerts timeline chart
        timestamps = [alert['timestamp'] for alert in alerts_data['alerts']]
        severities = [1 if alert['severity'] == 'HIGH' else 0.5 if alert['severity'] == 'MEDIUM' else 0.2
        for alert in alerts_data['alerts']]

        return alert_items, {'x': timestamps, 'y': severities}

    except Exception as e:
        return [f"Error loading alerts: {e}"], {}


alert_items, figure = update_alerts(0)
for item in alert_items:
    print(item)
print(f"timeline: {len(figure.get('x', []))} points, severities {sorted(set(figure.get('y', [])))}")
