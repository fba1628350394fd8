"""The client library of the central service, for kiosks and robots: typed calls, a durable offline
outbox, and offline ticket numbers from blocks the server leases in advance (``client.py`` has the
calls, ``issuing.py`` runs each state change once per key)."""

from .client import Client
from .errors import (
    BadResponse,
    ClientClosed,
    ClientError,
    NoOfflineNumbers,
    NotFound,
    Offline,
    Rejected,
    ServerError,
    TimedOut,
    Unauthorized,
)
from .models import (
    Appointment,
    AssistRequest,
    Booking,
    CaseStatus,
    CaseStep,
    DeviceCommand,
    DeviceCommands,
    LocationInfo,
    NumberBlock,
    Outcome,
    PublicReaction,
    Queued,
    QueueOverview,
    Slot,
    Slots,
    SyncReport,
    Ticket,
)
from .observable import Observable
from .transport import RetryPolicy, Timeouts

__all__ = [
    "Appointment",
    "AssistRequest",
    "BadResponse",
    "Booking",
    "CaseStatus",
    "CaseStep",
    "Client",
    "ClientClosed",
    "ClientError",
    "DeviceCommand",
    "DeviceCommands",
    "LocationInfo",
    "NoOfflineNumbers",
    "NotFound",
    "NumberBlock",
    "Observable",
    "Offline",
    "Outcome",
    "PublicReaction",
    "QueueOverview",
    "Queued",
    "Rejected",
    "RetryPolicy",
    "ServerError",
    "Slot",
    "Slots",
    "SyncReport",
    "Ticket",
    "TimedOut",
    "Timeouts",
    "Unauthorized",
]
