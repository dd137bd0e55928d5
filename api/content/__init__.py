"""/content: the review queue, generation of batches, regeneration and caption tuning."""
