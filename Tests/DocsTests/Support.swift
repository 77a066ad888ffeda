import Testing

/// Records `message` as a failure unless `condition` holds.
func check(_ condition: Bool, _ message: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) {
    if !condition { Issue.record(Comment(rawValue: message()), sourceLocation: sourceLocation) }
}
