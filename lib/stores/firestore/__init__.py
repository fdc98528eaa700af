"""The Cloud Firestore adapters, one per store port; the only package that imports firebase_admin."""
