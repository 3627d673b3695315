import { createServiceApp } from "@edge-shop/worker-kit";
import type { Bindings } from "./env";

export const app = createServiceApp<Bindings>("notifications");
