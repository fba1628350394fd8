"""The Pepper robot host: a pure behaviour state machine (``behaviour``) between the
NAOqi adapter (``naoqi_adapter``) and the central service (``central_service``); ``host`` runs
them, ``sim`` is a simulated Pepper on real libqi."""
