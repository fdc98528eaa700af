"""What the presenter pages show and do: dashboard, demo data, timeline, sandbox admin, inbox view, seeding."""
