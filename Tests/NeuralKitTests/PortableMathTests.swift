import Foundation
import NeuralKit
import Testing

@Suite("PortableMath")
struct PortableMathTests {
    /// Positive values spread over the whole exponent range, subnormals included.
    static let logInputs: [Double] = {
        var g = SeededGenerator(seed: 21)
        var values = (0..<20_000).map { _ in g.uniform(0.5, 2) } // around 1
        for _ in 0..<20_000 {
            let exponent: Double = Double(g.nextInt(below: 2098) - 1074)
            values.append(g.uniform(1, 2) * Foundation.pow(2.0, exponent))
        }
        for k in 1...200 {
            let step: Double = Double(k) * Double.ulpOfOne
            values.append(1 + step)
            values.append(1 - step / 2)
        }
        values += [
            .leastNonzeroMagnitude, .leastNormalMagnitude, .leastNormalMagnitude / 3,
            Double.leastNormalMagnitude / 1024,
            .greatestFiniteMagnitude, 1e300, 2, 0.5, 10, 2.squareRoot(), 0.5.squareRoot(),
        ]
        return values.filter { $0 > 0 && $0.isFinite }
    }()

    @Test("log is within 2 ulp of Foundation's over the whole range, subnormals included")
    func logMatchesFoundation() {
        var worst = (x: 1.0, ulps: UInt64(0))
        for x in Self.logInputs {
            let distance = ulpDistance(PortableMath.log(x), Foundation.log(x))
            if distance > worst.ulps { worst = (x, distance) }
        }
        #expect(worst.ulps <= 2, "log(\(worst.x)) is \(worst.ulps) ulp from Foundation's")
    }

    @Test("log of 1 is exactly 0; of 0 is −∞; of a negative number or NaN is NaN; of +∞ is +∞")
    func logSpecialValues() {
        #expect(PortableMath.log(1) == 0)
        #expect(PortableMath.log(0) == -.infinity && PortableMath.log(-0.0) == -.infinity)
        #expect(PortableMath.log(-1).isNaN && PortableMath.log(.nan).isNaN && PortableMath.log(-.infinity).isNaN)
        #expect(PortableMath.log(.infinity) == .infinity)
        #expect(abs(PortableMath.log(.leastNonzeroMagnitude) - -744.4400719213812) < 1e-12)
    }

    static let angles: [Double] = {
        var g = SeededGenerator(seed: 22)
        var values = (0..<20_000).map { _ in g.uniform(-7, 7) }
        values += (0..<20_000).map { _ in g.uniform(-3000, 3000) }
        // Multiples of π/2, π/4 and π/6, where the reduction must be accurate because sin or cos is tiny.
        for k in -200...200 {
            let multiple: Double = Double(k)
            values += [multiple * Double.pi / 2, multiple * Double.pi / 4, multiple * Double.pi / 6]
        }
        values += [0, -0.0, 1e-300, 1e-8, .leastNonzeroMagnitude]
        return values
    }()

    @Test("sin is within 2 ulp of Foundation's, near multiples of π/2 too")
    func sinMatchesFoundation() {
        var worst = (x: 0.0, ulps: UInt64(0))
        for x in Self.angles {
            let distance = ulpDistance(PortableMath.sin(x), Foundation.sin(x))
            if distance > worst.ulps { worst = (x, distance) }
        }
        #expect(worst.ulps <= 2, "sin(\(worst.x)) is \(worst.ulps) ulp from Foundation's")
    }

    @Test("cos is within 2 ulp of Foundation's, near multiples of π/2 too")
    func cosMatchesFoundation() {
        var worst = (x: 0.0, ulps: UInt64(0))
        for x in Self.angles {
            let distance = ulpDistance(PortableMath.cos(x), Foundation.cos(x))
            if distance > worst.ulps { worst = (x, distance) }
        }
        #expect(worst.ulps <= 2, "cos(\(worst.x)) is \(worst.ulps) ulp from Foundation's")
    }

    @Test("sin and cos of NaN or ±∞ are NaN, not a crash")
    func sinCosNonFinite() {
        for x in [Double.nan, .infinity, -.infinity] {
            #expect(PortableMath.sin(x).isNaN && PortableMath.cos(x).isNaN)
        }
    }
}
