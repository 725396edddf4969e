"""Turn raw lint findings into the ones worth an author's time: reviewed marks, historical years."""
