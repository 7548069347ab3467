"""`kb check` without the engine: every problem in the content, located at the writer's line."""
