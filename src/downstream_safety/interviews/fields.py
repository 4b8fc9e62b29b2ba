"""The participant fields, owned by the instruments stage
(:mod:`downstream_safety.instruments.participant_fields`); re-exported for the
interview code that names them."""

from downstream_safety.instruments.participant_fields import (  # noqa: F401
    STRUCTURAL,
    ParticipantField,
    in_table2,
    load_participant_fields,
    summarised,
)
