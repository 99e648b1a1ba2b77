"""The synthetic world: a calibrated dossier of used-vehicle exports with its ground truth.

Real per-vehicle export data is not public; this package generates a world
whose flows, fuel mix and zero-mileage share follow published figures (see
``docs/synthetic-world.md``) and injects anomalies at documented rates.

    from zeromile.synth import WorldConfig, generate_world, write_world
    world = generate_world(WorldConfig(scale=0.01, seed=7))
    write_world(world, Path("out"))
"""

from zeromile.synth.calibration import AnomalyRates
from zeromile.synth.io import write_world
from zeromile.synth.world import World, WorldConfig, generate_world

__all__ = ["AnomalyRates", "World", "WorldConfig", "generate_world", "write_world"]
