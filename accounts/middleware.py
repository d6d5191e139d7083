from django.utils import timezone


class UserTimezoneMiddleware:
    """Shows dates in the user's kabupaten time zone (WIT, WITA or WIB)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.tzinfo)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class CookieLanguageMiddleware:
    """Bahasa Indonesia unless the user chose otherwise.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an
    officer whose laptop is set to English would get English pages. Here only
    the explicit choice (the language cookie set by the language switcher) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
