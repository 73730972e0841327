from django.contrib.auth import hashers


class Argon2PasswordHasher(hashers.Argon2PasswordHasher):
    """Argon2id at the cost OWASP's password storage cheat sheet recommends first (19 MiB, two
    passes, one lane): about 30 ms of one core per hash. Django's default (100 MiB, eight lanes)
    costs several times that in CPU and memory, so a handful of concurrent wrong passwords
    would tie up every worker. Hashes made with other parameters are upgraded at sign-in."""

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
