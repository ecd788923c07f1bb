"""Daily tips and the quizzes made from them."""
