from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts.forms_plain import use_plain_null_character_message

        use_plain_null_character_message()
