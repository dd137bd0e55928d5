"""/batches: following and cancelling generation batches."""
