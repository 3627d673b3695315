export { inbox, outbox } from "@edge-shop/worker-kit";
