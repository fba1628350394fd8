"""Texts the pages' scripts show, by key; each page gets them in its language (see languages.py).
Message ids are English; ``N_`` only marks them for extraction and the catalogue test."""

from __future__ import annotations

from .languages import Gettext


def N_(text: str) -> str:
    return text


ERRORS = {
    "network": N_("The server cannot be reached. Check the network connection; the screen keeps trying."),
    "signed_out": N_("You have been signed out. Sign in again with your token."),
    "unauthorized": N_("You have been signed out. Sign in again with your token."),
    "unknown_token": N_("This token is unknown or has been revoked. Check it, or ask the administrator for a new one."),
    "wrong_role": N_("This token belongs to another kind of device and cannot sign in on this screen."),
    "wrong_location": N_("This token belongs to another location. Use a token of this location."),
    "forbidden": N_("This token may not do that here. Ask the administrator if you need it."),
    "not_found": N_("That ticket or desk does not exist here (any more). The screen has been refreshed."),
    "illegal_transition": N_("That is not possible for this ticket right now. The screen has been refreshed."),
    "service_not_offered": N_("That service is by appointment only; no walk-in ticket can be drawn for it."),
    "invalid_request": N_("Something in the form is missing or not right. Check it and try again."),
    "malformed_json": N_("The request could not be read. Reload the page and try again."),
    "unsupported_media_type": N_("The request could not be read. Reload the page and try again."),
    "too_large": N_("The request is too large. Shorten it and try again."),
    "too_many_requests": N_("Too many requests at once. Wait a moment and try again."),
    "internal_error": N_("Something went wrong on our side. Try again; if it keeps happening, call the service desk."),
    "nobody_waiting": N_("Nobody is waiting for this desk's services right now."),
    "command_not_supported": N_("Only a robot can be paused or resumed."),
    "invalid_case_reference": N_("A case number looks like ZAAK-2026-0000000001. Check it, or leave the field empty."),
}

DISPLAY = {
    "again": N_("Again"),
    "desk": N_("Desk"),
    "minutes": N_("± {minutes} min"),
    "callout": N_("Number {number}, please go to desk {desk}."),
}

TICKET = {
    "ahead": N_("{count} people before you"),
    "ahead_one": N_("1 person before you"),
    "ahead_none": N_("You are next"),
    "estimate": N_("Estimated wait: about {minutes} min"),
    "estimate_none": N_("Estimated wait: a few minutes"),
    "your_turn": N_("It's your turn: desk {desk}"),
    "called_again": N_("You are being called again: desk {desk}"),
    "serving": N_("You are being helped at desk {desk}"),
    "done": N_("Your visit is finished. Thank you for coming!"),
    "no_show": N_("You were called but we did not see you. Please ask a host for help."),
    "cancelled": N_("This ticket has been cancelled. Please ask a host if this is a mistake."),
    "live": N_("Live: this page updates by itself"),
    "offline": N_("No connection — trying again…"),
    "estimate_range": N_("Estimated wait: {low} to {high} min"),
    "push_on": N_("Done: you will get a message when it is nearly your turn."),
    "push_blocked": N_("Messages are blocked in this browser. Keep this page open instead."),
    "push_failed": N_("Messages could not be switched on. Keep this page open instead."),
}

STAFF = {
    "live_online": N_("Live"),
    "desk_label": N_("Desk {number}"),
    "walk_in": N_("walk-in"),
    "minutes_short": N_("{minutes} min"),
    "within_norm": N_("within norm"),
    "near_norm": N_("near norm"),
    "over_norm": N_("over norm"),
    "open": N_("Open"),
    "closed": N_("Closed"),
    "open_desk": N_("Open desk"),
    "close_desk": N_("Close desk"),
    "nobody_at_desk": N_("Nobody at the desk"),
    "called": N_("called"),
    "serving": N_("being helped"),
    "resolve": N_("Resolved"),
    "priority": N_("Priority"),
    "give_priority": N_("Give priority"),
    "transfer": N_("Transfer"),
    "transfer_to": N_("Transfer {number} to"),
    "cancel": N_("Cancel ticket"),
    "confirm_cancel": N_("Really cancel {number}?"),
    "appointment": N_("appointment"),
    "issued": N_("Ticket {number} issued: place {position}, about {minutes} min."),
    "done_action": N_("Done: {number}."),
    "transferred": N_("{number} now waits for {service}."),
    "cancelled": N_("{number} has been cancelled."),
    "prioritised": N_("{number} now has priority."),
    "resolved": N_("Assist request resolved."),
    "no_assist": N_("No open assist requests."),
    "no_waiting": N_("Nobody is waiting."),
    "no_devices": N_("No device has reported today."),
    "online": N_("online"),
    "offline_device": N_("offline"),
    "battery": N_("battery {percent}%"),
    "printer_ok": N_("paper OK"),
    "printer_paper_low": N_("paper low"),
    "printer_paper_out": N_("paper out"),
    "printer_offline": N_("printer offline"),
    "tablet_ok": N_("tablet OK"),
    "tablet_wifi_disconnected": N_("tablet Wi-Fi disconnected"),
    "tablet_wifi_scanning": N_("tablet looking for Wi-Fi"),
    "tablet_wifi_idle": N_("tablet Wi-Fi off"),
    "tablet_page_error": N_("tablet cannot load its page"),
    "tablet_missing": N_("no tablet"),
    "last_report": N_("last report {time}"),
    "waited": N_("waiting {minutes} min"),
    "chart_summary": N_("{now} waiting now; most today: {most} at {time}."),
    "chart_empty": N_("No visitors yet today."),
    "stream_offline": N_("Offline — reconnecting…"),
    "called_ticket": N_("{number} called to this desk."),
    "recalled": N_("{number} called again."),
    "assist_sent": N_("A host has been asked to come to this desk."),
    "reason_visitor_needs_help": N_("visitor needs help"),
    "reason_language": N_("language help"),
    "reason_accessibility": N_("accessibility"),
    "reason_complaint": N_("complaint"),
    "reason_technical": N_("technical problem"),
    "reason_printer": N_("printer"),
    "reason_low_battery": N_("low battery"),
    "reason_other": N_("other"),
    "role_kiosk": N_("kiosk"),
    "role_robot": N_("robot"),
    "role_desk": N_("desk"),
    "role_host": N_("host"),
    "role_display": N_("display"),
    "paused": N_("paused"),
    "pause_robot": N_("Pause robot"),
    "resume_robot": N_("Resume robot"),
    "robot_paused": N_("{name} is paused: it greets nobody until it is resumed."),
    "robot_resumed": N_("{name} is working again."),
    "about_case": N_("case {number}"),
    "norms_share_heading": N_("Helped within the norm"),
    "norms_wait_heading": N_("Wait: median and 80th percentile"),
    "norms_met": N_("met (target {target}%)"),
    "norms_missed": N_("not met (target {target}%)"),
    "norms_not_judged": N_("not judged yet (target {target}%)"),
    "norms_waits": N_("median {median} · 80%: {p80} · norm {norm} min"),
    "norms_no_waits": N_("nobody called yet · norm {norm} min"),
    "norms_summary": N_("{met} of {judged} services meet their norm today. All services: {share}% helped within "
                        "their norm; median wait {median} min, 80% waited at most {p80} min."),
    "norms_empty": N_("No walk-in visitor has been judged against a norm yet today."),
}

ROBOT = {
    "one_moment": N_("One moment, please…"),
    "no_robot": N_("This page belongs on the robot's tablet: here a tap does nothing."),
}


def translated(texts: dict[str, str], _: Gettext) -> dict[str, str]:
    return {key: _(text) for key, text in texts.items()}
