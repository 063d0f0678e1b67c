"""carbonsink:resilience and carbonsink:resiliencecounts (probability
attenuation, Wu et al. 2023), made from their declarations in
core/runs/resilience.py."""
from ..core.runs import resilience
from .declared import algorithm_class

ResilienceAlgorithm = algorithm_class(resilience.RESILIENCE)
ResilienceCountsAlgorithm = algorithm_class(resilience.RESILIENCE_COUNTS)
