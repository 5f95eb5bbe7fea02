"""The kiosk's flows as state machines (ordering, tracking and rating, redemption, technician
entry). Each is a table of steps with checks; the screens in ``ui/`` show the current step and send
answers. Tested without Qt."""
