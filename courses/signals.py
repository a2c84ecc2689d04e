from django.dispatch import Signal

# Sent once per enrolment, when its course's completion rule is first met.
# Receivers get ``enrolment`` (an Enrolment). The certificate registry listens here.
course_completed = Signal()
