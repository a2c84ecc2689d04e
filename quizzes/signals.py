from django.dispatch import Signal

# Sent, with ``attempt``, once the learner may see how a finished attempt came out:
# at submit when the quiz shows results at once, when the last essay is marked, or
# when a quiz that shows results after it closes has closed (release_due_results).
# Never before: the courses app counts a passed test towards progress and the
# certificate on this signal, and both would show the result.
attempt_released = Signal()
