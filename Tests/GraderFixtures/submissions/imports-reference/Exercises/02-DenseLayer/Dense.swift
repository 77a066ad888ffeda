import NeuralKit
import Solutions

public typealias Dense = Solutions.Dense
