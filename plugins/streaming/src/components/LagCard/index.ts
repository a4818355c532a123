export { LagCard } from './LagCard';
