import Testing

@Suite("Stage 1 · Activations") struct Stage01Activations {
    @Test("everything passes") func passes() { #expect(true) }
}
