from django.dispatch import Signal

# Sent after an attempt is graded (at submit, and again when an essay is marked),
# with ``attempt``. The courses app marks the hosting QuizPage done when it passed.
attempt_graded = Signal()
