# The guide's "IoT Dashboard Integration", unchanged but for Streamlit: its metrics are printed
# instead of shown, once instead of every 30 seconds. Usage: python iot_dashboard.py <sensors URL>
import sys

import requests
from datetime import datetime

# ApudFlow sensor data endpoint
sensor_endpoint = sys.argv[1]

try:
    response = requests.get(sensor_endpoint, timeout=5)
    sensor_data = response.json()['data']

    # Current readings
    print(
        "Temperature",
        f"{sensor_data['sensor_readings']['temperature']['current']}°F",
        f"Avg: {sensor_data['sensor_readings']['temperature']['average']}°F"
    )
    print(
        "Humidity",
        f"{sensor_data['sensor_readings']['humidity']['current']}%",
        f"Avg: {sensor_data['sensor_readings']['humidity']['average']}%"
    )

    # Alerts
    if sensor_data['alerts']:
        print("Active Alerts:")
        for alert in sensor_data['alerts']:
            print(f"⚠️ {alert['message']}")

    print(f"Last updated: {sensor_data['last_reading']}")

except Exception as e:
    print(f"Error fetching sensor data: {e}")
