"""Signing people in as a browser does, for the tests: the sign-in form (its own anti-forgery token
in a cookie and a hidden field), the session's cookie, and the page's anti-forgery token.

``requests`` would not send a Secure cookie over http://, so the Cookie header is sent by hand,
as the browser does on 127.0.0.1."""

from __future__ import annotations

import re
from dataclasses import dataclass

import requests

from queue_ticketing.services.accounts import create_account
from queue_ticketing.store.database import Database
from queue_ticketing.store.unit_of_work import OPERATOR
from queue_ticketing.store.write_batch import write_alone

PASSWORD = "correct horse battery"
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}
FORM = {"Content-Type": "application/x-www-form-urlencoded", **SAME_SITE}


def add_person(db: Database, clock: object, email: str, role: str, location: str | None = "ijsselmonde",
               name: str | None = None, password: str = PASSWORD) -> None:
    write_alone(db, clock, lambda uow: create_account(uow, email, name or email.split("@")[0].title(), role,  # type: ignore[arg-type]
                                                      None if role == "admin" else location, password), OPERATOR)


def cookie_of(response: requests.Response, name: str) -> str | None:
    for header in response.raw.headers.getlist("set-cookie"):
        if header.startswith(f"{name}="):
            return header.split(";")[0].split("=", 1)[1]
    return None


def set_cookie_header(response: requests.Response, name: str) -> str:
    return next(h for h in response.raw.headers.getlist("set-cookie") if h.startswith(f"{name}="))


@dataclass
class Person:
    base: str
    secret: str
    landing: str

    @property
    def cookie(self) -> dict[str, str]:
        return {"Cookie": f"gastvrij_staff={self.secret}"}

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return requests.get(f"{self.base}{path}", headers=self.cookie, timeout=10, allow_redirects=False,
                            **kwargs)  # type: ignore[arg-type]

    def sit_at(self, location: str, desk: str) -> None:
        """Open the desk's page, as a clerk who sits down there: the session takes that desk."""
        assert self.get(f"/desk/{location}/{desk}").status_code == 200

    def csrf(self, page: str) -> str:
        """The anti-forgery token a page of the person carries."""
        text = self.get(page).text
        found = re.search(r'name="csrf-token" content="([^"]+)"', text) or \
            re.search(r'name="csrf" value="([^"]+)"', text)
        assert found, f"no anti-forgery token on {page}"
        return found.group(1)


def sign_in_form(base: str, next_path: str = "/") -> tuple[str, str]:
    """The sign-in page's form token and its cookie's value."""
    page = requests.get(f"{base}/sign-in", params={"next": next_path}, timeout=10)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, page.text
    return token.group(1), cookie_of(page, "gastvrij_sign_in") or token.group(1)


def try_sign_in(base: str, email: str, password: str = PASSWORD, code: str | None = None,
                next_path: str = "/") -> requests.Response:
    form_token, cookie = sign_in_form(base, next_path)
    fields = {"email": email, "password": password, "csrf": form_token, "next": next_path}
    if code is not None:
        fields["code"] = code
    return requests.post(f"{base}/sign-in", data=fields, allow_redirects=False, timeout=10,
                         headers={**FORM, "Cookie": f"gastvrij_sign_in={cookie}"})


def sign_in(base: str, email: str, password: str = PASSWORD, code: str | None = None,
            next_path: str = "/") -> Person:
    response = try_sign_in(base, email, password, code, next_path)
    assert response.status_code == 303, response.text
    secret = cookie_of(response, "gastvrij_staff")
    assert secret
    return Person(base, secret, response.headers["location"])
