"""Records and pure logic: pydantic models, ids, enums, references. No I/O, no Textual."""
