"""One module per kind of thing found in a document's text. Each ``find`` is a pure
function from a SourceDoc (and pattern data) to frozen results carrying their spans;
resolving what a finding refers to is a separate step."""
